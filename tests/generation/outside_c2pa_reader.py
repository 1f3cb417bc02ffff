"""Run by tests/generation/test_credentials.py with the Python of a separate virtualenv that has
only c2pa-python (var/c2pa-reader-venv): an outside C2PA reader, knowing nothing of Rightscast.
Reads a file with the SDK's defaults and prints what a client would look for, as JSON."""
import io
import json
import sys

import c2pa

data = sys.stdin.buffer.read()
with c2pa.Reader(sys.argv[1], io.BytesIO(data)) as reader:
    store = json.loads(reader.json())
manifest = store["manifests"][store["active_manifest"]]
assertions = {a["label"]: a.get("data") for a in manifest.get("assertions", [])}
print(
    json.dumps(
        {
            "validation_state": store.get("validation_state"),
            "soft_binding": assertions.get("c2pa.soft-binding"),
            "training_mining": assertions.get("cawg.training-mining"),
            "ingredients": [
                {"title": i.get("title"), "metadata": i.get("metadata"), "active_manifest": i.get("active_manifest")}
                for i in manifest.get("ingredients", [])
            ],
            "manifests": sorted(store["manifests"]),
        }
    )
)
