// The visible ☰ and "contents" buttons of sphinx-book-theme 1.3.0 do nothing: both theme
// scripts attach their handlers to the first .primary-toggle / .secondary-toggle of the page,
// pydata-sphinx-theme's header button, which the book theme hides. A click on any other
// toggle is handed to that first button, whose handlers open the sidebar dialog on a narrow
// screen and fold the sidebar away on a wide one (book/_ext/theme_fixes.py says more).
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary", "secondary"]) {
    const [bound, ...visible] = document.querySelectorAll(`.${kind}-toggle`);
    for (const button of visible) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }
});

// The book's title at the top of the sidebar stood outside any landmark (axe: region). The
// sidebar is the book's navigation, so it is marked as one; the contents list inside it keeps
// its own label ("Main").
document.addEventListener("DOMContentLoaded", () => {
  const sidebar = document.getElementById("pst-primary-sidebar");
  if (sidebar && !sidebar.closest("nav, [role=navigation]")) {
    sidebar.setAttribute("role", "navigation");
    sidebar.setAttribute("aria-label", "Book");
  }
});
