// A refused save: the error summary takes the focus, so the problem is read out first,
// and each of its links moves the focus to its field (opening a closed <details>),
// scrolling so that the field's label or legend shows as well.
(function () {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    let field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    if (field.disabled && field.name) {
      field = document.querySelector(`[name="${CSS.escape(field.name)}"]:not([disabled])`) || field;
    }
    event.preventDefault();
    const details = field.closest("details");
    if (details) details.open = true;
    const legend = field.closest("fieldset")?.querySelector("legend");
    const own = field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    // A choice among radios is introduced by the group's legend, not by its own label.
    const label = (field.type === "radio" && legend) || own || legend;
    field.focus({ preventScroll: true });
    (label || field).scrollIntoView({ block: "start" });
    if (label && label.getBoundingClientRect().bottom > window.innerHeight) field.scrollIntoView();
    history.replaceState(null, "", link.hash);
  });
})();
