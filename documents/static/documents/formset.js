// Adds a row to a Django formset table: clones the empty form, renumbers it, bumps TOTAL_FORMS.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  event.preventDefault();
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty-row`);
  const body = document.getElementById(`${prefix}-rows`);
  const index = Number(total.value);
  const row = template.content.firstElementChild.cloneNode(true);
  row.innerHTML = row.innerHTML.replaceAll("__prefix__", String(index));
  body.appendChild(row);
  total.value = String(index + 1);
});
