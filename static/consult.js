/* consult.js - progressive enhancement of the voting page: a vote is sent
 * in the background and the next statement replaces the card, without
 * reloading the page. Without this file (or without JavaScript) the forms
 * work as they are. Loaded from 'self' only; no inline code. */
(function () {
	"use strict";
	var form = document.querySelector("form.vote-form");
	if (!form || !window.fetch || !window.JSON) {
		return;
	}
	var id = form.getAttribute("data-consultation");
	var api = "/api/v1/consultations/" + encodeURIComponent(id);
	var text = document.getElementById("statement-text");
	var remaining = document.getElementById("remaining-n");
	var card = document.getElementById("statement-card");
	var done = document.getElementById("all-done");
	var busy = false;

	function fallback(button) {
		/* Let the browser post the form the ordinary way. */
		busy = true;
		var hidden = document.createElement("input");
		hidden.type = "hidden";
		hidden.name = "vote";
		hidden.value = button ? button.value : "0";
		form.appendChild(hidden);
		HTMLFormElement.prototype.submit.call(form);
	}

	function show(next) {
		if (!next) {
			card.hidden = true;
			done.hidden = false;
			done.setAttribute("tabindex", "-1");
			done.focus();
			return;
		}
		form.elements.tid.value = String(next.tid);
		text.textContent = next.text;
		remaining.textContent = String(next.remaining);
		text.setAttribute("tabindex", "-1");
		text.focus();
	}

	form.addEventListener("submit", function (ev) {
		var button = ev.submitter;
		if (busy || !button) {
			return; /* an old browser: the ordinary post */
		}
		ev.preventDefault();
		busy = true;
		var body = JSON.stringify({
			statement: parseInt(form.elements.tid.value, 10),
			vote: parseInt(button.value, 10)
		});
		fetch(api + "/votes", {
			method: "POST",
			credentials: "same-origin",
			headers: {"Content-Type": "application/json"},
			body: body
		}).then(function (r) {
			if (!r.ok) {
				throw new Error("vote");
			}
			return fetch(api + "/next", {credentials: "same-origin"});
		}).then(function (r) {
			if (!r.ok) {
				throw new Error("next");
			}
			return r.json();
		}).then(function (j) {
			busy = false;
			show(j.statement);
		}).catch(function () {
			busy = false;
			fallback(button);
		});
	});
}());
