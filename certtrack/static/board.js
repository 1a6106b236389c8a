// The board's filters apply as they change: a choice submits the form (the search box
// when it is left or Enter is pressed). Without JavaScript the Filter button does it.
(function () {
  const form = document.querySelector("form[data-submit-on-change]");
  if (!form) return;
  form.addEventListener("change", (event) => {
    if (event.target.matches("select, input")) form.requestSubmit();
  });
})();
