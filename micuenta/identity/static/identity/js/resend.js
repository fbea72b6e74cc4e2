// "Reenviar código": counts down the seconds until another code may be asked for (the server checks too).
(function () {
  "use strict";
  document.querySelectorAll("[data-resend-wait]").forEach(function (form) {
    var left = parseInt(form.dataset.resendWait, 10) || 0;
    var button = form.querySelector("button");
    var status = form.querySelector("[data-resend-status]");
    if (!button || left <= 0) return;
    button.setAttribute("aria-disabled", "true");
    form.addEventListener("submit", function (event) {
      if (left > 0) event.preventDefault();
    });
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.removeAttribute("aria-disabled");
        if (status) status.textContent = "Ya puedes pedir otro código.";
      } else if (status && left % 10 === 0) {
        status.textContent = "Podrás pedir otro código en " + left + " segundos.";
      }
    }, 1000);
  });
})();
