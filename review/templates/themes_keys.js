// Keyboard coding on /review/themes/code: digits 1-9 and 0 toggle themes 1-10, Enter or c
// confirms, s skips, n / right arrow next, p / left arrow previous. The page works without it.
(function () {
  var form = document.getElementById("code-form");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target && /^(TEXTAREA|SELECT|A|BUTTON)$/.test(target.tagName)) return;
    if (target && target.tagName === "INPUT" && target.type !== "checkbox") return;
    var key = event.key;
    var link;
    if (/^[0-9]$/.test(key)) {
      var box = document.getElementById("theme-key-" + key);
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    } else if (key === "Enter" || key === "c") {
      event.preventDefault();
      document.getElementById("confirm-button").click();
    } else if (key === "s") {
      event.preventDefault();
      document.getElementById("skip-button").click();
    } else if (key === "n" || key === "ArrowRight") {
      link = document.getElementById("next-link");
      if (link) { event.preventDefault(); window.location.href = link.href; }
    } else if (key === "p" || key === "ArrowLeft") {
      link = document.getElementById("previous-link");
      if (link) { event.preventDefault(); window.location.href = link.href; }
    }
  });
})();
