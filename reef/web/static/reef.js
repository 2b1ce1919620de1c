// Reef dashboard: charts (plotly.js served by Reef itself, never a CDN) and background-job progress.
// Pages work without this file: every chart has a server-side SVG and a table behind it.
(function () {
  "use strict";
  // The colours of reef.report.charts (COLORS, MARKER): each reaches 3:1 on the page (tests/web/test_a11y_colours.py).
  var COLORS = ["#1f6fb2", "#b86e1f", "#2e8b57", "#b3261e", "#7b4fa0", "#5b6b7b"], MARKER = "#b3261e";

  // Chart labels may come from data; plotly reads a few HTML-like tags in labels, so take < and > out.
  function plain(s) { return String(s).replace(/[<>]/g, function (c) { return c === "<" ? "‹" : "›"; }); }

  function draw(figure) {
    var spec;
    try { spec = JSON.parse(figure.getAttribute("data-chart")); } catch (e) { return; }
    var x = spec.x.map(plain);
    var traces = spec.series.map(function (s, i) {
      var color = COLORS[i % COLORS.length];
      if (spec.kind === "funnel") {
        return {type: "funnel", y: x, x: s.y, name: plain(s.name), marker: {color: color}, textinfo: "value+percent initial"};
      }
      if (spec.kind === "line") {
        return {type: "scatter", mode: "lines", x: x, y: s.y, name: plain(s.name), line: {color: color, width: 2}};
      }
      return {type: "bar", x: x, y: s.y, name: plain(s.name), marker: {color: color}};
    });
    var layout = {
      height: spec.kind === "funnel" ? 60 + 44 * x.length : 260,
      margin: {l: spec.kind === "funnel" ? 140 : 50, r: 16, t: 8, b: 40},
      barmode: spec.kind === "stacked" ? "stack" : "group",
      showlegend: spec.series.length > 1 || Boolean(spec.marked && spec.markers && spec.markers.length),
      legend: {orientation: "h", y: -0.2},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: {family: '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif', size: 12},
      yaxis: {rangemode: "tozero", title: {text: plain(spec.y_label || "")}}
    };
    if (spec.markers && spec.markers.length) {
      layout.shapes = spec.markers.map(function (i) {
        return {type: "line", xref: "x", yref: "paper", x0: x[i], x1: x[i], y0: 0, y1: 1,
                line: {color: MARKER, width: 1.5, dash: "dash"}};
      });
      if (spec.marked) {  // the dashed line is named in the legend, as in the SVG: not a colour to guess at
        traces.push({type: "scatter", mode: "lines", x: [null], y: [null], name: plain(spec.marked), hoverinfo: "skip",
                     line: {color: MARKER, width: 1.5, dash: "dash"}});
      }
    }
    var target = document.createElement("div");
    target.className = "chart-live";
    figure.insertBefore(target, figure.firstChild);
    // plotly's drawing is one image to a screen reader, named with the words of the SVG it replaces.
    var still = figure.querySelector(".chart-static svg");
    target.setAttribute("role", "img");
    if (still) { target.setAttribute("aria-label", still.getAttribute("aria-label") || ""); }
    window.Plotly.newPlot(target, traces, layout, {displayModeBar: false, responsive: true}).then(function () {
      var still = figure.querySelector(".chart-static");
      if (still) { still.hidden = true; }
      figure.setAttribute("data-rendered", "plotly");
    });
  }

  if (window.Plotly) {
    document.querySelectorAll("figure[data-chart]").forEach(draw);
  }

  // Background jobs (导入, 周报, 风险雷达 and 种子名单 pages): poll running jobs until they finish, then reload the page, which shows
  // the outcome (done, partly failed, failed) and the result as the server words them.
  function label(status) {
    var table = document.getElementById("jobs");
    return (table && table.getAttribute("data-label-" + status)) || status;
  }
  // The progress in words, with the page's formats: the analysis running by its operator name, the file
  // being imported by its own name and the rows read so far (reef.server.job_views.progress_text).
  function progressText(job) {
    var table = document.getElementById("jobs");
    var p = job.progress || {}, step = String(p.step || ""), fmt, steps = {};
    if (!step || !table) { return step; }
    if (job.kind === "analyze" || job.kind === "weekly_report") {
      try { steps = JSON.parse(table.getAttribute("data-steps") || "{}"); } catch (e) { steps = {}; }
      fmt = step === "done" ? "finished" : "running";
      step = steps[step] || step;
    } else if (job.kind === "import") {
      step = step.split(/[\\/]/).pop();
      fmt = p.total ? "file" : "rows";
    } else {  // other jobs (a seed plan): the step by the name the page gives it
      try { steps = JSON.parse(table.getAttribute("data-steps") || "{}"); } catch (e) { steps = {}; }
      step = steps[step] || step;
      fmt = "file";
    }
    return (table.getAttribute("data-fmt-" + fmt) || "{step} {done}/{total}")
      .replace("{step}", step).replace("{done}", String(p.done || 0)).replace("{total}", String(p.total || 0));
  }
  function poll(row) {
    var id = row.getAttribute("data-job");
    fetch("/api/v1/jobs/" + encodeURIComponent(id), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (!job || !job.status) { return; }
        row.querySelector(".job-status").textContent = label(job.outcome || job.status);
        var p = job.progress || {};
        row.querySelector(".job-progress").textContent = progressText(job);
        var bar = row.querySelector("progress");
        if (bar) { bar.max = p.total || 1; bar.value = job.status === "done" ? (p.total || 1) : (p.done || 0); }
        row.setAttribute("data-status", job.status);
        if (job.status === "queued" || job.status === "running") { setTimeout(function () { poll(row); }, 1000); }
        else { window.location.reload(); }
      })
      .catch(function () { /* the server restarted or the session ended: stop polling */ });
  }
  document.querySelectorAll("tr[data-job]").forEach(function (row) {
    var s = row.getAttribute("data-status");
    if (s === "queued" || s === "running") { poll(row); }
  });

  // The member form's topic is a seed action's detail: shown for 话题播种 (or while it holds text the server refused).
  var kindSelect = document.getElementById("action-kind"), topicField = document.getElementById("action-topic");
  if (kindSelect && topicField) {
    var topicBox = topicField.closest("label") || topicField;  // the field with its visible name
    var syncTopic = function () { topicBox.hidden = kindSelect.value !== "seed" && !topicField.value; };
    kindSelect.addEventListener("change", syncTopic);
    syncTopic();
  }
}());
