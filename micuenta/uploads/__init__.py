"""Documents people attach to a trámite: checked by content, kept private, scanned, handed back as downloads.

`inspect` (`upload_inspect`, `CleanFile`, `UploadRefused`), `scan` (`upload_scan_or_refuse`), `storage`
(`upload_store`, `upload_open`, `upload_delete`) and `http` (`attachment_response`): docs/uploads.md.
"""
