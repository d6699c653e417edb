/* Cascading region selects (province → city → county), shared by the public report form and the
 * staff 新建举报 form. The server draws them filled down to the current choice (apps/regions/picker.py),
 * so they work without this file; this file loads the next level from /api/v1/regions?parent=… as
 * soon as a level is chosen, instead of a round trip or one select with thousands of options.
 *
 * A scope keeps the choices inside a jurisdiction: `roots` are the codes of the jurisdiction's
 * regions (none = the whole country) and `ancestors` every code on the way down to them. Above a
 * root the one way down is forced (a locked select with a single option); inside, every served
 * child is offered.
 *
 * window.RegionSelects.create(config) returns {path, choose, choosePath, up, emit}; elements marked
 * data-region-picker="auto" are set up from their data attributes. */
(function () {
  "use strict";

  // A phone on a weak connection loses requests: each load gives up after 8 s and is tried three
  // times (after 0.5 s and 1.5 s) before the picker shows its error.
  var TIMEOUT_MS = 8000;
  var RETRY_DELAYS_MS = [500, 1500];

  function getJSONOnce(url) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).finally(function () {
      if (timer) { window.clearTimeout(timer); }
    });
  }

  function getJSON(url, attempt) {
    attempt = attempt || 0;
    return getJSONOnce(url).catch(function (error) {
      if (attempt >= RETRY_DELAYS_MS.length) { throw error; }
      return new Promise(function (resolve) {
        window.setTimeout(resolve, RETRY_DELAYS_MS[attempt]);
      }).then(function () { return getJSON(url, attempt + 1); });
    });
  }

  function codes(text) {
    return (text || "").split(",").filter(function (c) { return c; });
  }

  function create(config) {
    var selects = config.selects;
    var url = config.url;
    var roots = config.roots || [];
    var ancestors = config.ancestors || [];
    var onChange = config.onChange || function () {};
    var onError = config.onError || function () {};
    var childrenKnown = {};  // code -> has children (from the API)
    var drawn = selects.map(function (select) { return select.innerHTML; });

    // Are the choices at `depth` all inside the scope (a root was chosen above, or no scope)?
    function inside(depth) {
      if (!roots.length) { return true; }
      for (var d = 0; d < depth; d++) {
        if (roots.indexOf(selects[d].value) >= 0) { return true; }
      }
      return false;
    }

    function option(value, text) {
      var element = document.createElement("option");
      element.value = value;
      element.textContent = text;
      return element;
    }

    /* Fills the select at `depth`; returns true when the scope forces its only option. */
    function fill(depth, items, placeholder) {
      var select = selects[depth];
      var open = inside(depth);
      var offered = items.filter(function (item) {
        return item.is_served && (open || ancestors.indexOf(item.code) >= 0);
      });
      var locked = !open && offered.length === 1;
      select.innerHTML = "";
      if (!locked) {
        select.appendChild(option("", placeholder || (offered.length ? "请选择" : "（无下级，无需选择）")));
      }
      offered.forEach(function (item) {
        select.appendChild(option(item.code, item.name));
        childrenKnown[item.code] = item.has_children;
      });
      select.disabled = offered.length === 0;
      return locked;
    }

    function clearFrom(depth) {
      for (var d = depth; d < selects.length; d++) {
        selects[d].innerHTML = "";
        selects[d].appendChild(option("", "请先选择上一级"));
        selects[d].disabled = true;
      }
    }

    function path() {
      var chosen = [];
      selects.forEach(function (select) {
        if (select.value) {
          chosen.push({ code: select.value, name: select.options[select.selectedIndex].textContent });
        }
      });
      return chosen;
    }

    function emit() {
      var chosen = path();
      var last = chosen[chosen.length - 1];
      onChange({
        path: chosen,
        leaf: Boolean(last && (childrenKnown[last.code] === false || chosen.length === selects.length))
      });
    }

    function changed(depth) {
      var code = selects[depth].value;
      clearFrom(depth + 1);
      if (!code || depth + 1 >= selects.length || childrenKnown[code] === false) {
        emit();
        return Promise.resolve();
      }
      return getJSON(url + "?parent=" + encodeURIComponent(code)).then(function (items) {
        // A slow answer for a choice already changed again must not overwrite the newer one.
        if (selects[depth].value !== code) { return; }
        childrenKnown[code] = items.length > 0;
        if (fill(depth + 1, items)) { return changed(depth + 1); }
        emit();
      }, function () {
        if (selects[depth].value === code) { onError(); }
      });
    }

    selects.forEach(function (select, depth) {
      select.addEventListener("change", function () { changed(depth); });
    });

    // Server-drawn options (a re-shown form) tell nothing about children: ask once.
    selects[0].querySelectorAll("option").forEach(function (element) {
      if (element.value) { childrenKnown[element.value] = true; }
    });
    for (var d = 1; d < selects.length; d++) {
      if (selects[d].options.length <= 1 && !selects[d].value) { selects[d].disabled = !selects[d - 1].value; }
    }

    // 重置 puts back what the server drew (the browser alone would keep options loaded since).
    var form = selects[0].form;
    if (form) {
      form.addEventListener("reset", function () {
        window.setTimeout(function () {
          selects.forEach(function (select, i) {
            select.innerHTML = drawn[i];
            select.disabled = select.options.length <= 1 && !select.value && i > 0 && !selects[i - 1].value;
          });
          emit();
        }, 0);
      });
    }

    var picker = {
      path: path,
      emit: emit,
      /* Choose `code` at `depth` (0 province, 1 city, 2 county), as if picked in the select. */
      choose: function (depth, code) {
        if (depth >= selects.length) { return Promise.resolve(); }
        selects[depth].value = code;
        if (selects[depth].value !== code) { return Promise.resolve(); }
        return changed(depth);
      },
      choosePath: function (chain) {
        var done = Promise.resolve();
        chain.forEach(function (code, depth) {
          done = done.then(function () { return picker.choose(depth, code); });
        });
        return done;
      },
      up: function () {
        var chosen = path();
        if (!chosen.length) { return; }
        var depth = chosen.length - 1;
        if (childrenKnown[chosen[depth].code] === false && depth > 0) { depth -= 1; }
        // A level the scope forces has no empty choice: going up stops below it.
        if (!inside(depth) && selects[depth].options.length === 1) { return; }
        selects[depth].value = "";
        changed(depth);
      }
    };
    return picker;
  }

  window.RegionSelects = { create: create };

  document.querySelectorAll("[data-region-picker=auto]").forEach(function (box) {
    var status = box.querySelector(".region-picker-status");
    create({
      selects: Array.prototype.slice.call(box.querySelectorAll("select")),
      url: box.getAttribute("data-regions-url"),
      roots: codes(box.getAttribute("data-scope-roots")),
      ancestors: codes(box.getAttribute("data-scope-ancestors")),
      onChange: function () { if (status) { status.textContent = ""; } },
      onError: function () {
        if (status) { status.textContent = "下级地区加载失败，请检查网络后重新选择。"; }
      }
    });
  });
})();
