// Builds the request title (§6) from the chosen customer and project as the user picks them:
// 技术支持申请--<customer>--<project or 非项目>--<sales name>--<date>. The server checks it again.
(function () {
  "use strict";
  var dataElement = document.getElementById("title-data");
  var title = document.querySelector("[data-support-title]");
  if (!dataElement || !title) { return; }
  var data = JSON.parse(dataElement.textContent);
  var customer = document.getElementById("id_customer");
  var project = document.getElementById("id_project");
  var preview = document.getElementById("title-preview");

  function build() {
    var customerName = customer && customer.value ? data.customers[customer.value] : "";
    if (!customerName) { return ""; }
    var projectName = project && project.value ? data.projects[project.value] : data.no_project;
    return [data.prefix, customerName, projectName, data.sales, data.date].join("--");
  }

  function update() {
    var value = build();
    if (value) { title.value = value; }
    if (preview) { preview.textContent = value; }
  }

  [customer, project].forEach(function (element) {
    if (element) { element.addEventListener("change", update); }
  });
  if (!title.value) { update(); } else if (preview) { preview.textContent = title.value; }
})();
