// The supervisor console: select-all and the selected count for bulk reassignment, and the workload chart (ECharts).
(function () {
  var all = document.getElementById('select-all');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="task"][form="bulk"]'));
  var count = document.getElementById('selected-count');
  function recount() {
    if (count) { count.textContent = boxes.filter(function (b) { return b.checked; }).length; }
  }
  boxes.forEach(function (b) { b.addEventListener('change', recount); });
  if (all) {
    all.addEventListener('change', function () { boxes.forEach(function (b) { b.checked = all.checked; }); recount(); });
  }
  recount();

  // The workload panel arrives after the page (htmx) or is a page of its own: draw its chart whenever it is there.
  function drawWorkload() {
    var box = document.getElementById('workload-chart');
    if (!box || box.getAttribute('data-ready') === 'true' || typeof echarts === 'undefined') { return; }
    var rows = JSON.parse(box.dataset.rows || '[]');
    var labels = JSON.parse(box.dataset.labels || '{}');
    if (!rows.length) { box.hidden = true; return; }
    box.style.height = Math.max(200, 60 + rows.length * 36) + 'px';
    var chart = echarts.init(box, null, { renderer: 'svg' });
    var keys = ['open', 'overdue', 'at_risk'];
    var colours = { open: '#5b8def', overdue: '#c62828', at_risk: '#d99a00' };
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      // '-': tasks in no department's queue yet (the tables say so in words)
      yAxis: { type: 'category', inverse: true, data: rows.map(function (r) { return r.name === '-' ? box.dataset.unrouted : (r.label || r.name); }) },
      series: keys.map(function (k) {
        return { name: labels[k], type: 'bar', barMaxWidth: 18, data: rows.map(function (r) { return r[k]; }), itemStyle: { color: colours[k] } };
      })
    });
    window.addEventListener('resize', function () { chart.resize(); });
    box.setAttribute('data-ready', 'true');
  }
  drawWorkload();
  // htmx 4 names its events htmx:after:*; an outerHTML swap detaches the old element, so listen on the document
  // for the new content being set up, and once more when the swap settles
  document.addEventListener('htmx:after:init', drawWorkload);
  document.addEventListener('htmx:after:settle', drawWorkload);
})();
