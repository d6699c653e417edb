/* The location map: ECharts draws the region GeoJSON of the level being chosen (nation → province
 * → city). ECharts (~330 KB compressed) is loaded only after the page is usable, so a slow
 * connection can use the selects at once; on a 2G or data-saving connection only when asked.
 * The selects are the truth: a click on the map chooses in the selects, and the map follows
 * every change of the selects (public-form.js). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var box = document.getElementById("map-box");
  if (!form || !box || !window.RegionPicker || !window.fetch) { return; }
  var NATION = "100000";
  var mapEl = document.getElementById("region-map");
  var upButton = document.getElementById("map-up");
  var pathLabel = document.getElementById("map-path");
  var loading = document.getElementById("map-loading");
  var chart = null;
  var shown = null;       // code of the map on screen
  var features = {};      // name -> feature properties of the map on screen
  var loaded = {};        // code -> true once registered with ECharts
  var pending = null;     // the last requested state, applied when ECharts is ready

  function geojsonUrl(code) {
    return form.getAttribute("data-regions-url") + "/" + encodeURIComponent(code) + "/geojson";
  }

  function register(code) {
    if (loaded[code]) { return Promise.resolve(loaded[code]); }
    return window.PublicUtil.getJSON(geojsonUrl(code)).then(function (geo) {
      window.echarts.registerMap(code, geo);
      loaded[code] = geo;
      return geo;
    });
  }

  function draw(code, selectedName) {
    return register(code).then(function (geo) {
      features = {};
      var data = [];
      geo.features.forEach(function (f) {
        var p = f.properties || {};
        if (!p.name) { return; }
        features[p.name] = p;
        if (p.code && !p.is_served) {
          data.push({ name: p.name, itemStyle: { areaColor: "#e2e5e9" }, select: { disabled: true } });
        } else if (!p.code) {
          data.push({ name: p.name, silent: true, select: { disabled: true } });
        } else {
          data.push({ name: p.name, selected: p.name === selectedName });
        }
      });
      chart.setOption({
        animation: false,
        series: [{
          type: "map", map: code, roam: false, selectedMode: "single", data: data,
          label: { show: code !== NATION, fontSize: 10, color: "#1b1f24" },
          itemStyle: { areaColor: "#dbe6f7", borderColor: "#0b3d91", borderWidth: 0.6 },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd666" } },
          select: { label: { show: true, color: "#1b1f24" }, itemStyle: { areaColor: "#f5a623" } }
        }]
      }, true);
      shown = code;
      loading.hidden = true;
      upButton.disabled = code === NATION;
    }, function () {
      loading.textContent = "地图加载失败，请使用下面的选择框选择。";
    });
  }

  function follow(detail) {
    var path = detail.path;
    pathLabel.textContent = path.length ? path.map(function (r) { return r.name; }).join(" / ") : "全国";
    if (!chart) { pending = detail; return; }
    // The map of the deepest chosen region that has children; a leaf stays selected on its parent's map.
    var mapPath = detail.leaf ? path.slice(0, -1) : path;
    var code = mapPath.length ? mapPath[mapPath.length - 1].code : NATION;
    var selectedName = detail.leaf ? path[path.length - 1].name : null;
    draw(code, selectedName);
  }

  document.addEventListener("region:change", function (event) { follow(event.detail); });

  function onClick(params) {
    var p = features[params.name];
    if (!p || !p.code) { return; }
    if (!p.is_served) {
      pathLabel.textContent = p.name + "：不由本系统受理";
      return;
    }
    // The map on screen shows the children of `shown`, so the click chooses one level below it.
    var chosen = window.RegionPicker.path();
    var depth = shown === NATION ? 0 : chosen.findIndex(function (r) { return r.code === shown; }) + 1;
    if (shown !== NATION && depth === 0) { return; }
    window.RegionPicker.choose(depth, p.code);
  }

  upButton.addEventListener("click", function () { window.RegionPicker.up(); });

  function start() {
    box.hidden = false;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-echarts-src");
    script.onload = function () {
      chart = window.echarts.init(mapEl, null, { renderer: "canvas" });
      chart.on("click", onClick);
      window.addEventListener("resize", function () { chart.resize(); });
      if (pending) { follow(pending); } else { window.RegionPicker.emit(); }
    };
    script.onerror = function () {
      loading.textContent = "地图加载失败，请使用下面的选择框选择。";
    };
    document.body.appendChild(script);
  }

  // On a slow or data-saving connection ECharts (~330 KB compressed) waits until the reporter
  // asks for the map: the selects above do the same job with nothing more to download.
  function frugal() {
    var c = navigator.connection;
    return Boolean(c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || "")));
  }

  function offer() {
    var offerBox = document.getElementById("map-offer");
    var button = document.getElementById("map-load");
    if (!offerBox || !button) { start(); return; }
    offerBox.hidden = false;
    button.addEventListener("click", function () { offerBox.hidden = true; start(); });
  }

  function begin() { if (frugal()) { offer(); } else { start(); } }

  if (document.readyState === "complete") { begin(); }
  else { window.addEventListener("load", begin); }
})();
