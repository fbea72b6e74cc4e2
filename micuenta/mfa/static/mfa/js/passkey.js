// Once the passkey is saved, tell the portal so it can show the recovery codes (first factor) or go back.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var form = document.getElementById("llave-agregada");
    if (form) {
      form.submit();
    }
  });
})();
