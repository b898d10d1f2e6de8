package httpserver

// uploadForm is what UploadHandler's listings show between the heading
// and the entries: a form that POSTs the chosen files to the listing's own
// URL as the multipart field "files". It works without JavaScript (the
// browser follows the 303 back to the listing); with it, the files go by
// XMLHttpRequest and a progress bar shows the bytes sent and the percent,
// then the listing reloads.
const uploadForm = `<form method="post" enctype="multipart/form-data">
<input type="file" name="files" multiple required>
<button type="submit">Upload</button>
<progress value="0" hidden></progress>
<output></output>
</form>
<script>
(function () {
  var form = document.currentScript.previousElementSibling;
  form.addEventListener("submit", function (event) {
    var xhr = new XMLHttpRequest();
    var bar = form.querySelector("progress"), text = form.querySelector("output");
    event.preventDefault();
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      text.textContent = e.loaded + " of " + e.total + " bytes (" +
        Math.floor(100 * e.loaded / e.total) + "%)";
    };
    xhr.onload = function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        location.reload();
        return;
      }
      text.textContent = "Upload failed: " + xhr.status + " " + xhr.statusText;
      form.querySelector("button").disabled = false;
    };
    xhr.onerror = function () {
      text.textContent = "Upload failed: the connection was lost";
      form.querySelector("button").disabled = false;
    };
    xhr.open("POST", form.action);
    bar.hidden = false;
    form.querySelector("button").disabled = true;
    xhr.send(new FormData(form));
  });
})();
</script>
<hr>
`
