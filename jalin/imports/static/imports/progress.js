// The import page polls its progress and reloads when the background step moves on.
(function () {
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  function poll() {
    fetch(bar.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status !== bar.dataset.status) { window.location.reload(); return; }
        bar.value = data.done;
        document.getElementById("import-done").textContent = data.done;
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
