// The public form: "add my current location" fills the hidden coordinates (only where the browser can locate).
(function () {
  var button = document.getElementById("locate");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.getElementById("located");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.wait || "…";
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude.toFixed(6), lon = position.coords.longitude.toFixed(6);
      document.getElementById("lat").value = lat;
      document.getElementById("lon").value = lon;
      status.textContent = lat + ", " + lon;
    }, function () {
      status.textContent = button.dataset.failed || "";
    }, {timeout: 10000});
  });
})();
