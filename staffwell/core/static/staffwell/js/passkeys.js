// Passkeys (ADR 0022). The passkey script of django-otp-webauthn asks gettext() for the words it
// shows; these are ours. Pages work without any of this: the authenticator app and recovery
// codes need no JavaScript.
(function () {
  "use strict";
  var tryAgain = " Try again, or use another way below.";
  var words = {
    "Verify with Passkey": "Use your passkey",
    "Verifying...": "Waiting for your passkey…",
    "Finishing verification...": "Checking your passkey…",
    "Verification successful!": "Passkey accepted. Signing you in…",
    "Verification aborted.": "Your passkey was not used." + tryAgain,
    "Verification canceled or not allowed.": "Your passkey was not used, or this browser did not allow it." + tryAgain,
    "Verification failed. Could not retrieve parameters from the server.":
      "staffwell could not start the passkey check. Sign in again, or use a code.",
    "Verification failed. An unknown error occurred.": "The passkey check did not work." + tryAgain,
    "Verification failed. An unknown server error occurred.": "The passkey check did not work." + tryAgain,
    "Verification failed. A server error occurred.": "The passkey check did not work." + tryAgain,
    "An error occurred during verification.": "The passkey check did not work." + tryAgain,
    "Register a Passkey": "Set up a passkey",
    "Registering...": "Waiting for your device…",
    "Finishing registration...": "Saving your passkey…",
    "Registration successful!": "Passkey saved.",
    "Registration aborted.": "No passkey was made. You can try again.",
    "Registration aborted or not allowed.": "No passkey was made, or this browser did not allow it. You can try again.",
    "Registration failed. You most likely already have a Passkey registered for this site.":
      "This device already has a passkey for your staffwell account.",
    "Registration failed. A technical problem occurred that prevents you from registering a Passkey for this site.":
      "This browser cannot make a passkey for this address. Use an authenticator app instead.",
    "Registration failed. Unable to fetch registration options from server.":
      "staffwell could not start making a passkey. Sign in again and try once more.",
    "Registration failed. The server was unable to verify this passkey.":
      "staffwell could not check this passkey, so it was not saved. You can try again.",
    "Registration failed. A server error occurred.": "The passkey was not saved. You can try again.",
    "Registration failed. An unknown error occurred.": "The passkey was not saved. You can try again.",
    "An error occurred during registration.": "The passkey was not saved. You can try again.",
  };
  window.gettext = function (text) {
    return Object.prototype.hasOwnProperty.call(words, text) ? words[text] : text;
  };

  // After a passkey is saved, go where the server says (recovery codes, or the list of passkeys).
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var next = event.detail && event.detail.response && event.detail.response.redirect_url;
    if (next) window.location.assign(next);
  });
})();
