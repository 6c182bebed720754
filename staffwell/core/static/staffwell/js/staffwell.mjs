// Starts the NHS.UK frontend components. Every page works without this.
import { initAll } from "../../nhsuk/nhsuk-frontend.min.js";

initAll();

// Pages that show a long-running job (the staff import) refresh its progress in place.
const progress = document.querySelector("[data-progress-url]");
if (progress) {
  const poll = async () => {
    const response = await fetch(progress.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    progress.querySelector("[data-progress-text]").textContent = data.text;
    const bar = progress.querySelector("progress");
    if (bar) bar.value = data.percent;
    if (data.finished) {
      window.location.reload();
    } else {
      window.setTimeout(poll, 1500);
    }
  };
  window.setTimeout(poll, 1500);
}

// A PDF takes a few seconds to make: once its link is clicked, say it is on its way. (The
// link already says "may take a few seconds", so nothing is lost without JavaScript.)
for (const link of document.querySelectorAll("a[data-pdf-link]")) {
  link.addEventListener("click", () => {
    const status = link.nextElementSibling;
    if (!status || !status.hasAttribute("data-pdf-status")) return;
    status.textContent = " Preparing the PDF. It will open or download in a few seconds.";
    window.setTimeout(() => {
      status.textContent = "";
    }, 15000);
  });
}
