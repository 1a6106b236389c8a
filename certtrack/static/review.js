// Gold review: recompute the total score as the consultant types (the server decides).
(function () {
  const box = document.getElementById("gold-score");
  if (!box) return;
  const inputs = Array.from(document.querySelectorAll("input[data-quality]"));
  const maximum = parseFloat(box.dataset.max) || 0;
  const bar = parseFloat(box.dataset.bar) || 80;
  const locale = document.documentElement.lang || "en";
  const format = (n) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  function update() {
    let total = 0;
    const below = [];
    for (const input of inputs) {
      const value = parseFloat(input.value);
      if (!Number.isNaN(value)) total += value;
      if (Number.isNaN(value) || value < parseFloat(input.dataset.threshold)) below.push(input.dataset.quality);
    }
    const percent = maximum ? Math.round((total * 1000) / maximum) / 10 : 0;
    box.querySelector("[data-score-total]").textContent = format(total);
    box.querySelector("[data-score-percent]").textContent = format(percent);
    const fill = box.querySelector("[data-score-bar]");
    fill.style.width = Math.min(percent, 100) + "%";
    fill.classList.toggle("bg-success", percent >= bar && below.length === 0);
    fill.classList.toggle("bg-warning", !(percent >= bar && below.length === 0));
    box.querySelector("[aria-valuenow]").setAttribute("aria-valuenow", percent);
    box.querySelector("[data-score-verdict]").textContent = below.length ? box.dataset.belowText + " " + below.join(", ") : "";
  }
  inputs.forEach((input) => input.addEventListener("input", update));
})();
