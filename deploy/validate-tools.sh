#!/usr/bin/env bash
# Installs what deploy/validate.sh needs, offline-capable registries only: helm, built from its Go
# module (about 4 minutes on two cores the first time, seconds once built), and the Python
# package kubernetes-validate, which ships the Kubernetes JSON schemas.
set -euo pipefail

HELM_VERSION=v3.22.0
gobin="$(go env GOPATH)/bin"
# A helm built by `go install` knows its version only as major.minor (v3.22).
if [[ "$("$gobin/helm" version --template "{{.Version}}" 2>/dev/null)" != "${HELM_VERSION%.*}"* ]]; then
  command -v go >/dev/null || { echo "go is required to build helm (go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION)"; exit 1; }
  echo "building helm $HELM_VERSION from its Go module"
  time go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi
"$gobin/helm" version --short

if ! python3 -m kubernetes_validate --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate
fi
echo "kubernetes-validate $(python3 -m kubernetes_validate --version)"
