from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "micuenta.savings"
    label = "savings"
    verbose_name = "Subcuenta de Vivienda"

    def ready(self) -> None:
        from micuenta.core.start import start_provider_register
        from micuenta.feeds.hooks import feed_finished_connect
        from micuenta.feeds.models import FeedKind
        from micuenta.savings.start import savings_start
        from micuenta.savings.tasks import avisos_after_feed, contribution_gaps_refresh_after_feed

        start_provider_register("savings", savings_start)

        # Both files change what employers owe: the stored list is recomputed after each.
        feed_finished_connect(
            kinds=(FeedKind.EMPLOYMENT, FeedKind.EMPLOYER_PAYMENTS), hook=contribution_gaps_refresh_after_feed
        )
        # A new employer calls for a retención; a payment that pays a credit off, for a suspensión.
        feed_finished_connect(
            kinds=(FeedKind.EMPLOYMENT, FeedKind.EMPLOYER_PAYMENTS, FeedKind.BANK_PAYMENTS), hook=avisos_after_feed
        )
