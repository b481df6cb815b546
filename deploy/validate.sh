#!/usr/bin/env bash
# Checks the Helm chart offline: `helm lint` and `helm template` with each CI values file, then
# every rendered manifest against the Kubernetes schemas kubernetes-validate ships (strict: an
# unknown field fails), for the oldest and the newest Kubernetes the chart supports.
# Needs helm and kubernetes-validate (deploy/validate-tools.sh installs both). Exits non-zero on
# any lint error or invalid manifest; closes with `deploy: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

chart=deploy/helm/helix-throttle
helm=${HELM:-$(command -v helm || echo "$(go env GOPATH)/bin/helm")}
[[ -x "$helm" ]] || { echo "helm not found: run deploy/validate-tools.sh (or set HELM)"; exit 1; }
# As a module: a pip-installed console script may not be on PATH yet (pyenv shims, --user installs).
validator=(python3 -m kubernetes_validate)
"${validator[@]}" --version >/dev/null 2>&1 || { echo "kubernetes-validate not found: run deploy/validate-tools.sh"; exit 1; }
kubernetes_versions=(1.27.0 1.37.0)

# Each rendering: a name and its values files, the later overriding the earlier.
declare -A renderings=(
  [external]="$chart/ci/external-values.yaml"
  [in-cluster]="$chart/values-in-cluster.yaml $chart/ci/in-cluster-values.yaml"
)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
check() { # check DESCRIPTION COMMAND…
  local description=$1
  shift
  if "$@" >"$out/check.log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $description"
  else
    failed=$((failed + 1))
    echo "FAIL $description"
    sed 's/^/     /' "$out/check.log"
  fi
}

for name in "${!renderings[@]}"; do
  values=()
  for file in ${renderings[$name]}; do values+=(--values "$file"); done
  check "helm lint --strict ($name)" "$helm" lint --strict "$chart" "${values[@]}"
  for version in "${kubernetes_versions[@]}"; do
    rendered="$out/$name-$version"
    check "helm template ($name, Kubernetes $version)" \
      "$helm" template helix "$chart" "${values[@]}" --kube-version "$version" --output-dir "$rendered"
    # One file per template; every document in it is validated.
    while IFS= read -r manifest; do
      check "${manifest#"$rendered/"} ($name) on Kubernetes $version" \
        "${validator[@]}" --strict --quiet -k "$version" "$manifest"
    done < <(find "$rendered" -name '*.yaml' 2>/dev/null | sort)
  done
done

# A chart that refuses to render without its keys says so, rather than rendering a broken Secret.
check "helm template refuses to render without secrets.apiKeys" \
  bash -c "! '$helm' template helix '$chart' --kube-version 1.37.0 --set externalDatabase.url=postgresql://h/h --set externalRedis.url=redis://h"

echo "deploy: $passed passed, $failed failed"
((failed == 0))
