import Kube
import Testing
