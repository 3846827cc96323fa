// The publish checklist beside a draft, kept current as the editor types: the form is
// sent, unsaved, to the checklist address, which answers with what is missing.
"use strict";
(() => {
  const box = document.getElementById("publish-checklist");
  const form = document.getElementById("issue_form");
  if (!box || !form) return;
  let timer = null;
  let asked = 0;
  const update = async () => {
    const number = ++asked;
    let answer;
    try {
      const response = await fetch(box.dataset.url, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
      });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return;  // offline for a moment: the list stays as it was
    }
    if (number !== asked) return;  // a later answer is on its way
    const list = box.querySelector("ul");
    list.replaceChildren(...answer.problems.map((problem) => {
      const item = document.createElement("li");
      item.textContent = problem;
      return item;
    }));
    box.querySelector(".checklist-todo").hidden = answer.problems.length === 0;
    box.querySelector(".checklist-done").hidden = answer.problems.length > 0;
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 500);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
