/* The book for every reader (issue 23): navigation on a phone and a desktop, figures
 * that enlarge, scroll cues on wide equations and tables, and accessible names.
 * Loaded on every page by book/_ext/lkreader.py; tested by tests/browser. */
(function () {
  "use strict";

  /* 1. Sidebar toggles. pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 both render
   * a ".primary-toggle" (and a ".secondary-toggle"); the themes' scripts wire only the
   * first one in the page, pydata's own navbar button, which this layout hides. The
   * visible buttons (the book theme's, in the article header) did nothing. Forward their
   * clicks to the wired button: on a desktop (>= 992 px) the book theme collapses the
   * sidebar, on a phone pydata opens its drawer (a modal <dialog>). */
  function forwardToggles() {
    ["primary", "secondary"].forEach(function (kind) {
      var all = document.querySelectorAll("." + kind + "-toggle");
      if (all.length < 2) return;
      var wired = all[0];
      var sidebar = document.getElementById("pst-" + kind + "-sidebar");
      Array.prototype.slice.call(all, 1).forEach(function (btn) {
        btn.setAttribute("aria-controls", "pst-" + kind + "-sidebar");
        btn.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopImmediatePropagation();
          wired.click();
          if (sidebar && window.matchMedia("(min-width: 992px)").matches) {
            btn.setAttribute("aria-expanded",
              String(!sidebar.classList.contains("pst-sidebar-hidden")));
          }
        }, true);
      });
    });
  }

  /* 2. Accessible names (WCAG 2.5.3 "label in name"; axe button-name).
   * - sphinx-togglebutton names every solution's chevron button "Toggle hidden content":
   *   name it after what it opens, the title it sits in ("Solution to Exercise 1.1").
   * - The theme's search buttons show "Search Ctrl+K" but are labelled "Search": the
   *   visible text is the better name, so the label goes.
   * - The colour-mode button shows the current mode's icon (titled "Light", "Dark" or
   *   "System Settings"): its name says the mode too. */
  var MODE_NAMES = {light: "Light", dark: "Dark", auto: "System Settings"};
  function themeSwitchName() {
    var mode = document.documentElement.dataset.mode || "auto";
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.setAttribute("aria-label", "Color mode: " + (MODE_NAMES[mode] || mode));
    });
  }
  function fixToggleNames() {
    document.querySelectorAll("button.toggle-button").forEach(function (b) {
      var title = b.closest(".admonition-title, summary");
      var text = title ? title.textContent.replace(/\s+/g, " ").trim() : "";
      b.setAttribute("aria-label", text || "Show or hide the solution");
    });
    document.querySelectorAll(".search-button__button[aria-label]").forEach(function (b) {
      if (b.textContent.replace(/\s+/g, "").length > 0) b.removeAttribute("aria-label");
    });
    themeSwitchName();
    document.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.addEventListener("click", function () { setTimeout(themeSwitchName, 0); });
    });
  }

  /* 3. Click (or Enter) on a figure to see it enlarged, in a <dialog> that fills the
   * window; Escape, a click or the close button closes it. Without JavaScript the link
   * still opens the image file itself. */
  var dialog = null;
  function zoomDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "lk-zoom-dialog";
    dialog.setAttribute("aria-label", "Enlarged figure");
    dialog.innerHTML = '<button type="button" class="lk-zoom-close">Close</button><img alt="">';
    dialog.addEventListener("click", function () { dialog.close(); });
    document.body.appendChild(dialog);
    return dialog;
  }
  function enableZoom() {
    var sel = "main .cell_output img, main figure img";
    document.querySelectorAll(sel).forEach(function (img) {
      if (img.closest(".lk-explorer, a, button")) return;   // explorers: sliders, not zoom
      var a = document.createElement("a");
      a.className = "lk-zoom";
      a.href = img.getAttribute("src");
      a.title = "Enlarge the figure";
      img.parentNode.insertBefore(a, img);
      a.appendChild(img);
      a.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;  // new tab: as usual
        event.preventDefault();
        var d = zoomDialog();
        var big = d.querySelector("img");
        big.src = img.currentSrc || img.src;
        big.alt = img.alt || "";
        d.showModal();
      });
    });
  }

  /* 4. Wide display equations and tables scroll inside the column; a shadow at the edge
   * says there is more. A scrolling region gets tabindex=0 so a keyboard can scroll it. */
  var SCROLLERS = "main div.math, main .pst-scrollable-table-container, main .table-wrapper, "
                + "main .cell_output .output.text_html";
  function markOverflow() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var wide = el.scrollWidth > el.clientWidth + 1;
      el.classList.toggle("lk-overflows", wide);
      if (wide && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.lkTabindex = "1";
      } else if (!wide && el.dataset.lkTabindex) {
        el.removeAttribute("tabindex");
        delete el.dataset.lkTabindex;
      }
      if (wide && !el.hasAttribute("aria-label") && el.matches("div.math")) {
        el.setAttribute("role", "group");
        el.setAttribute("aria-label", "Wide equation: scroll sideways to read it all");
      }
    });
    document.documentElement.dataset.lkOverflowChecked = "1";
  }
  function whenMathTypeset(fn) {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) mj.startup.promise.then(fn, fn);
    else fn();
  }

  function init() {
    forwardToggles();
    enableZoom();
    // MathJax (a deferred script) typesets after the load event; measure after it
    if (document.readyState === "complete") whenMathTypeset(markOverflow);
    else window.addEventListener("load", function () { whenMathTypeset(markOverflow); });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(markOverflow, 150);
    });
    // sphinx-togglebutton adds its buttons on DOMContentLoaded too: run after it
    setTimeout(fixToggleNames, 0);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
