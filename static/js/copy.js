// Copy buttons: <button data-copy-target="input-id">. No inline scripts (CSP-friendly).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copyTarget);
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    button.textContent = "Copied";
  } catch {
    document.execCommand("copy");
    button.textContent = "Copied";
  }
});
