# The MLOps course-notes explorer as one container: `streamlit run app.py` on port 8501.
#   docker build -t mlops-explorer .
#   docker run --rm -p 127.0.0.1:8501:8501 mlops-explorer
#   python -m deploy.local_cluster --backend-port 8501 --port 8080   # then open http://localhost:8080
# Streamlit sends no security headers (Content-Security-Policy, X-Frame-Options, X-Content-Type-Options,
# Referrer-Policy) and has no option to add response headers, so the container is served behind what adds
# them: HAProxy as above (deploy/local_cluster.py; --print-config writes its configuration) or the
# Kubernetes Ingress (deploy/k8s/). Published on its own (-p 8501:8501) it works, without those headers.
# Content (notes, YAML, figures) is baked into the image; nothing is written at run time, so the
# container runs as a non-root user on a read-only root filesystem (deploy/k8s/deployment.yaml).
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed numeric id, so Kubernetes' runAsNonRoot can verify it (deployment.yaml uses 10001 too).
RUN groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Runtime dependencies only (tests, benchmarks and figure export live in requirements-dev.txt).
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# Configuration, then data, then code (code changes most often: its layer is rebuilt last).
COPY .streamlit/ ./.streamlit/
COPY assets/ ./assets/
COPY figures/ ./figures/
COPY content/ ./content/
COPY explorer/ ./explorer/
COPY pages/ ./pages/
COPY ui/ ./ui/
COPY components/ ./components/
COPY app.py ./

# Compile once at build time: the non-root user cannot (and need not) write __pycache__ later.
RUN python -m compileall -q /app

USER 10001:10001

EXPOSE 8501

# The slim image has no curl: ask Streamlit's health endpoint with Python's standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() == b'ok' else 1)"]

CMD ["streamlit", "run", "app.py", \
     "--server.port=8501", \
     "--server.address=0.0.0.0", \
     "--server.headless=true", \
     "--server.fileWatcherType=none", \
     "--browser.gatherUsageStats=false", \
     "--global.developmentMode=false"]
