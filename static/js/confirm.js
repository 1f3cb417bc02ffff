// Forms that ask before they act: <form data-confirm="Question?"> (no inline handlers: the
// Content-Security-Policy allows scripts from files only).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
