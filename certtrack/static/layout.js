// Positions and widths computed by the server, carried as data attributes: applied
// here because the Content-Security-Policy allows no inline style attribute.
document.querySelectorAll("[data-left], [data-width]").forEach((element) => {
  if (element.dataset.left !== undefined) element.style.left = element.dataset.left + "%";
  if (element.dataset.width !== undefined) element.style.width = element.dataset.width + "%";
});
