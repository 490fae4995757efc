function zeromq_set_log_path(varargin)
%ZEROMQ_SET_LOG_PATH Set the file the JSONL message log is written to.
%   zeromq_set_log_path(path)
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set_log_path', varargin{:});
end
