// The compact nav on phones: the menu button shows and hides the links (without JavaScript the
// links simply wrap).
(function () {
  const header = document.getElementById("top");
  if (!header) return;
  const button = header.querySelector(".menu-toggle");
  header.classList.add("js");
  button.hidden = false;
  button.addEventListener("click", function () {
    const open = header.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
