"""Documents on an application: the upload, replace, delete and download routes
(views), the page section they fill (section) and the download response (responses)."""
