// Reef dashboard: progress of running background jobs (imports page). No external scripts.
(function () {
  "use strict";
  var rows = document.querySelectorAll('tr[data-job]');
  function poll(row) {
    var id = row.getAttribute('data-job');
    fetch('/api/v1/jobs/' + encodeURIComponent(id), {credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (!job || !job.status) { return; }
        row.querySelector('.job-status').textContent = job.status;
        var p = job.progress || {};
        row.querySelector('.job-progress').textContent = (p.step || '') + ' ' + (p.done || 0) + '/' + (p.total || 0);
        row.setAttribute('data-status', job.status);
        if (job.status === 'queued' || job.status === 'running') { setTimeout(function () { poll(row); }, 1000); }
      })
      .catch(function () { /* the server restarted or the session ended: stop polling */ });
  }
  rows.forEach(function (row) {
    var s = row.getAttribute('data-status');
    if (s === 'queued' || s === 'running') { poll(row); }
  });
}());
