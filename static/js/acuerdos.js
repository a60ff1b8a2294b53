/*
 * Acuerdos · small progressive enhancements (served from 'self': the CSP forbids inline code).
 *
 * Filters submitted through htmx leave out their empty fields, so that the address pushed to
 * the history (and shared by e-mail) reads `?theme=4` rather than `?q=&due_from=&…&theme=4`.
 */
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.verb !== "get") {
    return;
  }
  var parameters = event.detail.parameters;
  var names = typeof parameters.keys === "function" ? Array.from(parameters.keys()) : Object.keys(parameters);
  names.forEach(function (name) {
    var value = typeof parameters.get === "function" ? parameters.get(name) : parameters[name];
    if (value === "" || value === null) {
      if (typeof parameters.delete === "function") {
        parameters.delete(name);
      } else {
        delete parameters[name];
      }
    }
  });
});
