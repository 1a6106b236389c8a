// The certificate's print button (no inline handler: the Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
