// Keep the reader on the same section when switching language: the headings of both languages
// share their ASCII anchors, so the switcher's link gets the current #anchor appended.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
});

// Search as readers type: Material reads the query on keyup only, so text that arrives without
// a key event (Hangul from some input methods, dictation, a paste from the context menu) would
// leave "Type to start searching" on screen until another key is pressed. Every `input` event
// on the search box is passed on as the keyup Material listens for; an unchanged query is
// ignored by Material, so a real keyup after it costs nothing.
document.addEventListener("input", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.matches("input.md-search__input")) {
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
});
