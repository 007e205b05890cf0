/* The « Print / PDF » button of a commune's fact sheet: the browser's own print dialog (where
   « Save as PDF » keeps a file), laid out by factsheet.css. Without JavaScript the button stays
   hidden and the page says to use the browser's print command. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
