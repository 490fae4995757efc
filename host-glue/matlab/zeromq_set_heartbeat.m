function zeromq_set_heartbeat(varargin)
%ZEROMQ_SET_HEARTBEAT Set or turn off the publisher's heartbeat.
%   zeromq_set_heartbeat(topic, period_ms)
%
%   While the publisher socket has a bind, the message {topic, ''} is published at the
%   bind and then every period_ms milliseconds. The default is 'heartbeat' every 5000 ms
%   (as the Igor Pro XOP). period_ms 0 turns the heartbeat off, so subscribers to '' see
%   only the messages this session publishes (as ScanImage or Open Ephys clients expect).
%   The setting takes effect at once and is kept across zeromq_stop.
%
%     zeromq_set_heartbeat('heartbeat', 0);      % no heartbeat
%     zeromq_set_heartbeat('alive', 1000);       % topic 'alive' every second
%
%   A negative or fractional period or a topic longer than 1024 bytes raises
%   zeromq:INVALID_ARG (the previous setting stays).
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set_heartbeat', varargin{:});
end
