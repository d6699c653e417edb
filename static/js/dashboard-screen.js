// 可视化分析: drill-down map (nation → province → city → county) and the panels that follow the
// selection and the dates. One data request per selection (/api/v1/dashboard/screen/{code}) plus
// the region outlines (/api/v1/regions/{code}/geojson), cached per code. Loaded as a static file:
// no inline script (CSP); settings come from data-* attributes of #screen.
(function () {
  "use strict";

  var PLACEHOLDER = "000000";
  var PALETTE = ["#37a2ff", "#ffd84d", "#37e2b4", "#ff7a5c", "#b38cff", "#4dd0ff", "#ffae4d", "#8fe36b",
    "#ff6fae", "#7fa8ff"];
  var AXIS_TEXT = "#b7cdf0";
  var ROWS_VISIBLE = 10;

  var root = document.getElementById("screen");
  if (!root || !window.echarts) { return; }
  var echarts = window.echarts;
  var cfg = root.dataset;

  var el = function (id) { return document.getElementById(id); };
  var charts = {
    types: echarts.init(el("chart-types")),
    children: echarts.init(el("chart-children")),
    channels: echarts.init(el("chart-channels")),
    industries: echarts.init(el("chart-industries")),
    map: echarts.init(el("chart-map"))
  };
  var state = { code: cfg.rootCode, start: cfg.start, end: cfg.end, data: null, features: {}, seq: 0 };
  var geoCache = {};

  function url(template, code) { return template.replace(PLACEHOLDER, code); }

  function getJSON(address) {
    return fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            var error = new Error(body.detail || "数据加载失败，请稍后重试。");
            error.status = response.status;
            throw error;
          }
          return body;
        });
      }, function () { throw new Error("网络连接失败，请检查网络后重试。"); });
  }

  function geojson(code) {
    if (!geoCache[code]) {
      geoCache[code] = getJSON(url(cfg.geojsonUrl, code)).then(function (geo) {
        echarts.registerMap("region-" + code, geo);
        return geo;
      }, function (error) { delete geoCache[code]; throw error; });
    }
    return geoCache[code];
  }

  function setStatus(text) { el("screen-status").textContent = text || ""; }

  function load(code) {
    var seq = ++state.seq;
    var query = "?" + new URLSearchParams({ start: state.start, end: state.end }).toString();
    root.setAttribute("aria-busy", "true");
    setStatus("正在加载…");
    return Promise.all([getJSON(url(cfg.apiUrl, code) + query), geojson(code)]).then(function (results) {
      if (seq !== state.seq) { return; } // a newer selection or period has been asked for
      state.code = code;
      state.data = results[0];
      render(results[0], results[1]);
      setStatus("");
      remember();
    }).catch(function (error) {
      if (seq !== state.seq) { return; }
      setStatus(error.message);
      // An address naming a region outside the jurisdiction falls back to the whole jurisdiction.
      if (state.data) { return; }
      if (error.status === 404 && code !== cfg.rootCode) { load(cfg.rootCode); }
      if (error.status === 400 && (state.start !== cfg.start || state.end !== cfg.end)) {
        state.start = el("screen-start").value = cfg.start;
        state.end = el("screen-end").value = cfg.end;
        load(code);
      }
    }).finally(function () {
      if (seq === state.seq) { root.removeAttribute("aria-busy"); }
    });
  }

  function remember() {
    var params = new URLSearchParams({ region: state.code, start: state.start, end: state.end });
    window.history.replaceState(null, "", "?" + params.toString());
  }

  // ---- panels ----

  function pie(chart, rows) {
    chart.setOption({
      color: PALETTE,
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c}件（{d}%）" },
      // A plain legend wraps onto more lines, so long catalog names stay readable in a narrow panel.
      legend: { type: "plain", orient: "horizontal", left: "center", bottom: 0, itemGap: 8, itemWidth: 14,
        itemHeight: 10, textStyle: { color: AXIS_TEXT, fontSize: 11 } },
      series: [{
        type: "pie", radius: ["28%", "50%"], center: ["50%", "40%"], avoidLabelOverlap: true,
        itemStyle: { borderColor: "#06122b", borderWidth: 2 },
        label: { color: "#e8f1ff", formatter: "{c}件", fontSize: 12 },
        labelLine: { length: 8, length2: 6 },
        data: rows
      }],
      graphic: rows.length ? [] : [emptyText()]
    }, { replaceMerge: ["series", "graphic"] });
  }

  function bars(chart, rows, colour) {
    var many = rows.length > ROWS_VISIBLE;
    chart.setOption({
      grid: { left: 8, right: many ? 36 : 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, formatter: "{b}：{c}件" },
      xAxis: { type: "value", minInterval: 1, axisLabel: { color: AXIS_TEXT },
        splitLine: { lineStyle: { color: "#15325f" } } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
        axisLabel: { color: AXIS_TEXT, width: 110, overflow: "truncate" }, axisLine: { lineStyle: { color: "#2b5ca8" } } },
      dataZoom: many ? [
        { type: "inside", yAxisIndex: 0, startValue: 0, endValue: ROWS_VISIBLE - 1, zoomLock: true },
        { type: "slider", yAxisIndex: 0, startValue: 0, endValue: ROWS_VISIBLE - 1, width: 10, right: 4,
          zoomLock: true, showDetail: false, brushSelect: false, borderColor: "#1d4a8f",
          fillerColor: "#2b5ca8", handleSize: 0 }
      ] : [],
      series: [{
        type: "bar", barMaxWidth: 14, data: rows.map(function (r) { return r.value; }),
        itemStyle: { borderRadius: [0, 6, 6, 0], color: colour },
        label: { show: true, position: "right", color: "#e8f1ff" }
      }],
      graphic: rows.length ? [] : [emptyText()]
    }, { replaceMerge: ["dataZoom", "series", "graphic"] });
  }

  // 港澳台 are drawn but not served; a zone's map shows counties it does not cover.
  function enterable(place) { return place.is_served && place.in_scope; }

  function emptyText() {
    return { type: "text", left: "center", top: "middle", style: { text: "暂无数据", fill: "#7184a6", fontSize: 14 } };
  }

  function gradient(from, to) {
    return new echarts.graphic.LinearGradient(0, 0, 1, 0, [{ offset: 0, color: from }, { offset: 1, color: to }]);
  }

  function renderMap(data, geo) {
    state.features = {};
    var inScope = {};
    data.children.forEach(function (c) { inScope[c.code] = enterable(c); });
    geo.features.forEach(function (f) {
      var p = f.properties;
      if (p && p.code) { state.features[p.name] = { code: p.code, enterable: p.code in inScope ? inScope[p.code] : true }; }
    });
    var leaf = !data.region.has_children;
    var rows = leaf
      ? [{ name: data.region.name, value: data.period.total }]
      : data.children.map(function (c) { return { name: c.name, value: enterable(c) ? c.value : null }; });
    var max = Math.max.apply(null, [1].concat(rows.map(function (r) { return r.value || 0; })));
    charts.map.setOption({
      tooltip: {
        trigger: "item", renderMode: "richText",
        formatter: function (p) {
          if (!state.features[p.name]) { return p.name; }
          return p.name + "：" + (p.value === null || isNaN(p.value) ? "不在统计范围" : p.value + "件");
        }
      },
      visualMap: {
        min: 0, max: max, calculable: true, left: 8, bottom: 8, text: ["多", "少"],
        textStyle: { color: AXIS_TEXT }, itemHeight: 100,
        inRange: { color: ["#123a6b", "#1f6fb2", "#35b9e9", "#ffd84d", "#ff7a5c"] }
      },
      series: [{
        type: "map", map: "region-" + data.region.code, roam: false, selectedMode: false,
        layoutCenter: ["50%", "50%"], layoutSize: "95%",
        label: { show: data.region.level !== "nation", color: "#e8f1ff", fontSize: 11 },
        itemStyle: { areaColor: "#1b2a41", borderColor: "#5fa8ff", borderWidth: 0.8 },
        emphasis: { label: { color: "#fff" }, itemStyle: { areaColor: "#3d83e6" } },
        data: rows
      }]
    }, { replaceMerge: ["series"] });
  }

  function renderNavigation(data) {
    var crumbs = el("breadcrumb");
    crumbs.textContent = "";
    data.path.forEach(function (place, i) {
      var li = document.createElement("li");
      if (i === data.path.length - 1) {
        var here = document.createElement("span");
        here.textContent = place.name;
        here.setAttribute("aria-current", "location");
        li.appendChild(here);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = place.name;
        button.dataset.code = place.code;
        li.appendChild(button);
      }
      crumbs.appendChild(li);
    });
    var up = el("go-up");
    up.disabled = data.path.length < 2;
    up.dataset.code = data.path.length > 1 ? data.path[data.path.length - 2].code : "";

    var select = el("child-select");
    select.length = 1;
    var served = data.region.has_children ? data.children.filter(enterable) : [];
    served.slice().sort(function (a, b) { return a.code < b.code ? -1 : 1; }).forEach(function (c) {
      select.add(new Option(c.name, c.code));
    });
    select.disabled = !served.length;
    select.value = "";
  }

  function renderKpis(items) {
    var list = el("kpis");
    list.textContent = "";
    items.forEach(function (item) {
      var box = document.createElement("div");
      box.className = "screen-kpi";
      var dt = document.createElement("dt");
      dt.textContent = item.label;
      var dd = document.createElement("dd");
      dd.textContent = item.value;
      dd.dataset.kpi = item.key;
      box.appendChild(dt);
      box.appendChild(dd);
      list.appendChild(box);
    });
  }

  function render(data, geo) {
    el("region-name").textContent = data.region.name;
    el("year-label").textContent = data.year;
    el("year-total").textContent = data.year_total.toLocaleString("zh-CN");
    el("period-total").textContent = data.period.total;
    el("period-pending").textContent = data.period.pending;
    el("period-closed").textContent = data.period.closed;
    el("period-overdue").textContent = data.period.overdue;
    el("children-title").textContent = data.children_title;
    renderKpis(data.kpis);
    document.title = data.region.name + " - 可视化分析 - 安全生产举报系统";

    pie(charts.types, data.problem_types);
    pie(charts.channels, data.channels);
    bars(charts.industries, data.industries, gradient("#1f6fb2", "#37e2b4"));
    bars(charts.children, data.children.filter(enterable), gradient("#1f6fb2", "#ffd84d"));
    renderMap(data, geo);
    renderNavigation(data);
    root.dataset.loadedCode = data.region.code;
  }

  // ---- interaction ----

  charts.map.on("click", function (params) {
    var props = state.features[params.name];
    // Overlays (境界线, 南海诸岛), unserved regions and places outside the jurisdiction have
    // nothing to drill into.
    if (!props || !props.enterable || props.code === state.code) { return; }
    load(props.code);
  });
  el("breadcrumb").addEventListener("click", function (event) {
    var code = event.target.dataset && event.target.dataset.code;
    if (code) { load(code); }
  });
  el("go-up").addEventListener("click", function () {
    if (this.dataset.code) { load(this.dataset.code); }
  });
  el("child-select").addEventListener("change", function () {
    if (this.value) { load(this.value); }
  });
  el("screen-filter").addEventListener("submit", function (event) {
    event.preventDefault();
    state.start = el("screen-start").value;
    state.end = el("screen-end").value;
    load(state.code);
  });

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    }, 100);
  });

  // A reload keeps the selection and the period (they are in the address).
  var params = new URLSearchParams(window.location.search);
  if (params.get("start")) { state.start = params.get("start"); el("screen-start").value = state.start; }
  if (params.get("end")) { state.end = params.get("end"); el("screen-end").value = state.end; }
  load(params.get("region") || cfg.rootCode);
})();
