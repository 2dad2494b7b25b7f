// test/browser/layout_check.js: injected into a copy of a report by test/browser/run
// (the report itself has no script).  Measures every chart as Chromium laid it out
// and writes the result as JSON into <pre id="mm-check">, which --dump-dom prints:
//   svgs:     charts on the page
//   texts:    text elements drawn in them
//   empty:    charts with no visible size
//   clipped:  texts reaching outside their chart (cut-off labels, legends, axes)
//   overlaps: pairs of texts of one chart whose boxes intersect by more than 1 px
//   overflow: whether the page is wider than the window (a chart or table pushing it)
(function () {
  var res = { svgs: 0, texts: 0, empty: [], clipped: [], overlaps: [], overflow: false };
  var svgs = document.querySelectorAll('svg');
  for (var s = 0; s < svgs.length; s++) {
    var svg = svgs[s];
    var name = (svg.getAttribute('data-chart') || 'svg') + ' #' + s + ' "' + (svg.getAttribute('aria-label') || '') + '"';
    var sr = svg.getBoundingClientRect();
    res.svgs++;
    if (sr.width < 10 || sr.height < 10) res.empty.push(name);
    var boxes = [];
    var texts = svg.querySelectorAll('text');
    for (var i = 0; i < texts.length; i++) {
      var r = texts[i].getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      res.texts++;
      if (r.left < sr.left - 0.5 || r.right > sr.right + 0.5 || r.top < sr.top - 0.5 || r.bottom > sr.bottom + 0.5)
        res.clipped.push(name + ': "' + texts[i].textContent + '"');
      boxes.push({ r: r, t: texts[i].textContent });
    }
    for (var a = 0; a < boxes.length; a++) {
      for (var b = a + 1; b < boxes.length; b++) {
        var p = boxes[a].r, q = boxes[b].r;
        var dx = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        var dy = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (dx > 1 && dy > 1) res.overlaps.push(name + ': "' + boxes[a].t + '" / "' + boxes[b].t + '"');
      }
    }
  }
  res.overflow = document.documentElement.scrollWidth > window.innerWidth + 1;
  var pre = document.createElement('pre');
  pre.id = 'mm-check';
  pre.textContent = JSON.stringify(res);
  document.body.appendChild(pre);
})();
