/* The site's only script: the chapter menu on small screens, and search over the
   section index in search-index.js (a script, so it also works from file://).
   Without JavaScript the sidebar stays open and the search form stays hidden. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var toggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  var form = document.querySelector("form.search");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var index = window.BOOK_SEARCH || [];
  // Search entries are relative to the site's root; pages in report/ sit one folder down.
  var root = document.body.getAttribute("data-root") || "";
  if (!form || !input || !results) {
    return;
  }
  form.hidden = false;

  function normalise(text) {
    return text.toLocaleLowerCase("nb").normalize("NFKC");
  }

  function find(query) {
    var terms = normalise(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) {
      return [];
    }
    return index.filter(function (entry) {
      var text = normalise(entry.t + " " + entry.x);
      return terms.every(function (term) {
        return text.indexOf(term) !== -1;
      });
    }).slice(0, 20);
  }

  function show(hits, query) {
    results.textContent = "";
    if (query.trim() === "") {
      return;
    }
    if (hits.length === 0) {
      var none = document.createElement("p");
      none.textContent = "Ingen treff for «" + query.trim() + "».";
      results.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.u;
      link.textContent = hit.t;
      item.appendChild(link);
      if (hit.c !== hit.t) {
        var where = document.createElement("span");
        where.className = "search-where";
        where.textContent = " – " + hit.c;
        item.appendChild(where);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  input.addEventListener("input", function () {
    show(find(input.value), input.value);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var hits = find(input.value);
    if (hits.length > 0) {
      window.location.href = root + hits[0].u;
    }
  });
})();
