import Detection
