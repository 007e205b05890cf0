/* plotly.js adds its stylesheet rules through <style> elements it creates. Under this site's
   Content-Security-Policy (no 'unsafe-inline') those need the page's nonce: give it to every
   <style> element created by script, as webpack's __webpack_nonce__ does. Loaded just before
   plotly.js; nothing typed by a person ever goes through it. */
(function () {
  "use strict";
  var nonce = document.currentScript && document.currentScript.nonce;
  if (!nonce) return;
  var create = document.createElement;
  document.createElement = function (name) {
    var element = create.apply(document, arguments);
    if (String(name).toLowerCase() === "style") element.setAttribute("nonce", nonce);
    return element;
  };
})();
