// Live job progress: a websocket (Channels) pushes every change; polling the API is the fallback.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const id = box.dataset.jobId;
  const done = (s) => ["released", "failed", "cancelled", "quarantined", "awaiting_approval"].includes(s);
  const labels = {
    queued: "Queued", running: "Running", finishing: "Finishing", awaiting_approval: "Waiting for approval",
    released: "Done", failed: "Failed", cancelled: "Cancelled", quarantined: "Quarantined (never released)",
  };

  function show(state) {
    box.dataset.status = state.status;
    const tag = document.getElementById("job-status");
    tag.textContent = labels[state.status] || state.status;
    tag.className = "tag" + (state.status === "released" ? " ok" : ["failed", "cancelled", "quarantined"].includes(state.status) ? " no" : "");
    if (state.total_steps) {
      document.getElementById("job-step").textContent = "step " + state.step + " of " + state.total_steps;
      document.getElementById("job-bar").style.width = Math.round((100 * state.step) / state.total_steps) + "%";
    }
    if (state.status === "running" && state.preview) {
      const img = document.getElementById("job-preview");
      img.src = state.preview;
      img.hidden = false;
    }
    if (state.error) {
      const e = document.getElementById("job-error");
      e.textContent = "This generation could not be finished.";
      e.hidden = false;
    }
    // The Cancel button only while the job can still be cancelled.
    const cancel = document.getElementById("job-cancel");
    if (cancel && !["queued", "running"].includes(state.status)) cancel.remove();
    if (state.status !== "running") document.getElementById("job-preview").hidden = true;
    if (state.status === "released" && state.output_url) {
      document.getElementById("job-bar").style.width = "100%";
      const video = document.getElementById("job-video");
      if (video) video.src = state.output_url + "?t=" + Date.now();
      else document.getElementById("job-image").src = state.output_url + "?t=" + Date.now();
      document.getElementById("job-result").hidden = false;
    }
  }

  let polling = null;
  function poll() {
    if (polling) return;
    polling = setInterval(async () => {
      const r = await fetch("/api/jobs/" + id + "/", { credentials: "same-origin" });
      if (!r.ok) return;
      const state = await r.json();
      show(state);
      if (done(state.status)) clearInterval(polling);
    }, 1000);
  }

  if (done(box.dataset.status)) return;
  try {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/jobs/" + id + "/");
    ws.onmessage = (ev) => {
      const state = JSON.parse(ev.data);
      show(state);
      if (done(state.status)) ws.close();
    };
    ws.onerror = poll;
    ws.onclose = () => { if (!done(box.dataset.status)) poll(); };
  } catch (e) {
    poll();
  }
})();
