"""Running the app on more than one process: the Docker image, Kubernetes manifests and a local
HAProxy cluster (``python -m deploy.local_cluster``).  See deploy/README.md."""
