// Keep the reader on the same section when switching language: the headings of both languages
// share their ASCII anchors, so the switcher's link gets the current #anchor appended.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});
