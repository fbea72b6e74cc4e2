// Idle warning: shortly before the server closes an idle session, offer "Seguir conectado".
// The server enforces the timeout whatever this script does; this only warns.
(function () {
  "use strict";
  var dialog = document.getElementById("aviso-inactividad");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var idle = parseInt(dialog.dataset.idleSeconds, 10);
  var warning = parseInt(dialog.dataset.warningSeconds, 10);
  var message = dialog.querySelector("[data-idle-message]");
  var keepalive = dialog.querySelector("form[data-keepalive]");
  var timer = null;

  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, secondsLeft - warning) * 1000);
  }

  function expire() {
    window.location.assign(dialog.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
  }

  function check() {
    // Another tab may have kept the session alive: ask the server how much time is left.
    fetch(dialog.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { active: false, seconds_left: 0 }; })
      .then(function (state) {
        if (!state.active || state.seconds_left <= 0) { expire(); return; }
        if (state.seconds_left > warning) { schedule(state.seconds_left); return; }
        var minutes = Math.max(1, Math.round(state.seconds_left / 60));
        message.textContent = "Por seguridad cerraremos tu sesión en " + minutes + (minutes === 1 ? " minuto" : " minutos") +
          " si no haces nada. ¿Quieres seguir conectado?";
        if (!dialog.open) dialog.showModal();
        clearTimeout(timer);
        timer = setTimeout(check, state.seconds_left * 1000 + 1000);
      })
      .catch(function () { schedule(warning + 30); });
  }

  keepalive.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(keepalive.action, {
      method: "POST",
      body: new FormData(keepalive),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { expire(); return; }
      dialog.close();
      schedule(idle);
    }).catch(expire);
  });

  schedule(idle);
})();
