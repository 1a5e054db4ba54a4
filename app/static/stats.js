// The figures page: the trend charts (ECharts, SVG). The tables beside them hold the same numbers.
(function () {
  if (typeof echarts === 'undefined') { return; }
  function data(box, name) { return JSON.parse(box.dataset[name] || '[]'); }
  function draw(box, option) {
    var chart = echarts.init(box, null, { renderer: 'svg' });
    chart.setOption(Object.assign({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
    }, option));
    window.addEventListener('resize', function () { chart.resize(); });
  }

  var counts = document.getElementById('trend-counts-chart');
  if (counts) {
    var labels = JSON.parse(counts.dataset.labels);
    draw(counts, {
      xAxis: { type: 'category', data: data(counts, 'buckets') },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: labels.received, type: 'bar', data: data(counts, 'received'), itemStyle: { color: '#1565c0' } },
        { name: labels.answered, type: 'bar', data: data(counts, 'answered'), itemStyle: { color: '#2e7d32' } },
        { name: labels.before, type: 'line', data: data(counts, 'before'), symbol: 'none',
          lineStyle: { type: 'dashed', color: '#6d6d6d' }, itemStyle: { color: '#6d6d6d' } }
      ]
    });
  }

  var rates = document.getElementById('trend-rates-chart');
  if (rates) {
    var names = JSON.parse(rates.dataset.labels);
    var buckets = data(rates, 'rates');
    var colours = { on_time: '#1565c0', response: '#6a1b9a', resolution: '#2e7d32', satisfaction: '#d84315' };
    draw(rates, {
      xAxis: { type: 'category', data: data(rates, 'buckets') },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: Object.keys(colours).map(function (key) {
        return { name: names[key], type: 'line', connectNulls: false, itemStyle: { color: colours[key] },
                 data: buckets.map(function (b) { return b[key].rate === null ? null : Math.round(b[key].rate * 1000) / 10; }) };
      })
    });
  }
})();
