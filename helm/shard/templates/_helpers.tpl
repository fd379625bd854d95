{{/* Name of this release's objects, at most 63 characters. */}}
{{- define "shard.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shard.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
lineage-hub/domain: {{ .Values.domain | quote }}
{{- end -}}

{{- define "shard.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* host:port the gateway dials for RPC: the value given, else this release's service DNS name. */}}
{{- define "shard.advertise" -}}
{{- if .Values.advertise -}}
{{- .Values.advertise -}}
{{- else -}}
{{- printf "%s.%s.svc.cluster.local:%d" (include "shard.fullname" .) .Release.Namespace (int .Values.ports.rpc) -}}
{{- end -}}
{{- end -}}
