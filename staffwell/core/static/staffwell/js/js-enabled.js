// Marks the page as having JavaScript, as the NHS.UK frontend expects (no inline script).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
