CONSENT_TITLE = "Rightscast likeness licensing consent"
CONSENT_TEXT = """\
I confirm that I am the person shown in the media I upload, or that I am authorised to act for them.

I consent to Rightscast making my likeness available for AI generation under the licence terms I set
on each offer, and only under those terms. Every generation is recorded, watermarked and carries
content credentials naming its licence.

I can see every use of my likeness, including refused requests. I can revoke my likeness at any
time: no new generation starts after revocation, queued work is cancelled, and outputs already
released are marked as revoked on the public verify page.

This consent is recorded with the text's hash, the time, my IP address and my browser. A new version
of this document needs my fresh consent before new licences are sold.
"""
