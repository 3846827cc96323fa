// After a refused stale save: "Take theirs" puts their text in the field at once, "Keep
// mine" puts mine back. Without this script the choice is applied when the form is saved.
"use strict";
document.querySelectorAll(".conflict-choice input[type=radio]").forEach((radio) => {
  radio.addEventListener("change", () => {
    const name = radio.name.replace(/^resolve-/, "");
    const field = document.getElementsByName(name)[0];
    const theirs = document.getElementsByName("initial-" + name)[0];  // the form's new base
    if (!field || !theirs) return;
    if (!("mine" in field.dataset)) field.dataset.mine = field.value;
    field.value = radio.value === "theirs" ? theirs.value : field.dataset.mine;
  });
});
