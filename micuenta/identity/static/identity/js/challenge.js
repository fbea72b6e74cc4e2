// Security challenge (ALTCHA proof of work): the browser finds the number whose SHA-256, after the salt,
// equals the challenge, and puts the signed answer in the form. No image, nothing to click.
(function () {
  "use strict";

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var n = 0; n <= challenge.maxNumber; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) {
        return n;
      }
    }
    return null;
  }

  function start(box) {
    var data = document.getElementById(box.dataset.challengeId);
    var input = box.querySelector("input[name=altcha]");
    var status = box.querySelector("[data-challenge-status]");
    var form = box.closest("form");
    var submit = form ? form.querySelector("button[type=submit]") : null;
    if (!data || !input || !status || !window.crypto || !crypto.subtle) {
      if (status) status.textContent = "Tu navegador no puede hacer la comprobación de seguridad. Prueba con otro navegador o acude a un CESI.";
      return;
    }
    var challenge = JSON.parse(data.textContent);
    var ready = false;
    status.textContent = "Comprobando que no eres un programa automático…";
    if (form) {
      form.addEventListener("submit", function (event) {
        if (!ready) {
          event.preventDefault();
          status.textContent = "Espera un momento: estamos terminando la comprobación de seguridad.";
          form.dataset.submitWhenReady = "1";
        }
      });
    }
    solve(challenge).then(function (number) {
      if (number === null) {
        status.textContent = "No se pudo completar la comprobación de seguridad. Recarga la página.";
        return;
      }
      input.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature
      }));
      ready = true;
      box.dataset.challengeState = "listo";
      status.textContent = "Listo: comprobación de seguridad completada.";
      if (form && form.dataset.submitWhenReady === "1") {
        if (form.requestSubmit) { form.requestSubmit(submit || undefined); } else { form.submit(); }
      }
    });
  }

  document.querySelectorAll("[data-challenge-id]").forEach(start);
})();
