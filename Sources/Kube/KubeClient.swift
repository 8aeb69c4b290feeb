import KubeModel

/// The Kubernetes API client (being written).
public enum Kube {}
