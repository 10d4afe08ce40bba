"""Documents signed by people and sealed by the organisation (SPEC §3), in one place.

Every sealed record (a deliverable version, a change letter or reply, a service form, a weekly
report, a dossier manifest) goes the same way:

1. its content is frozen and fingerprinted (``fingerprint.canonical_sha256``);
2. people sign it after ``credentials.signature_credentials_check`` (consent, typed name, step-up);
   each signature is a ``models.SignatureRecord``;
3. the service records ``tasks.sealed_pdf_effect`` in its transaction; after commit the one
   render-and-seal task calls the model's renderer (its app's ``rendering.py`` builds the context
   and calls ``pdf.render_pdf`` and ``signing.pdf_sign``) and stores the file once
   (``services.sealed_pdf_store``) on the model's ``models.SealedPdf`` fields;
4. anyone holding the file checks it on the verification page (``verification.document_verify``),
   which asks the app that sealed it (``hooks.register_reference_resolver``) what it is.

Nothing outside this package imports WeasyPrint or pyHanko.
"""
